## flash.forum

flash-forum-edited = Mensagem alterada.
flash-forum-post_deleted = Mensagem eliminada.
flash-forum-reported = Obrigado: os moderadores foram avisados.
flash-forum-pinned = O tópico foi afixado.
flash-forum-unpinned = O tópico já não está afixado.
flash-forum-locked = O tópico foi bloqueado.
flash-forum-unlocked = O tópico foi reaberto.
flash-forum-topic_hidden = O tópico ficou oculto para os leitores.
flash-forum-topic_shown = O tópico voltou a estar visível.
flash-forum-moved = O tópico foi movido.
flash-forum-topic_deleted = O tópico foi eliminado.
flash-forum-post_hidden = A mensagem ficou oculta para os leitores.
flash-forum-post_shown = A mensagem voltou a estar visível.
flash-forum-post_removed = A mensagem foi eliminada.
flash-forum-report_dismissed = A sinalização foi encerrada.
flash-forum-muted = O aluno foi silenciado nesta categoria.
flash-forum-unmuted = O silenciamento foi levantado.
flash-forum-category_created = A categoria foi adicionada.

## forum

forum-title = Fórum
forum-cat_school = Toda a escola
forum-cat_staff = Sala dos professores
forum-error_not_found = Este tópico ou esta mensagem não existe, ou não tem permissão para o ver.
forum-error_denied = Não tem permissão para fazer isto no fórum.
forum-error_title_empty = Dê um título ao seu tópico.
forum-error_title_long = O título é demasiado longo (no máximo 150 caracteres).
forum-error_body_empty = Escreva primeiro uma mensagem.
forum-error_body_long = A mensagem é demasiado longa (no máximo 20 000 caracteres). Encurte-a ou divida-a em várias mensagens.
forum-error_locked = Este tópico está bloqueado: já ninguém pode responder.
forum-error_muted = Um moderador retirou-lhe o direito de escrever nesta categoria até { $until }. Pode continuar a lê-la.
forum-error_too_fast =
    Está a escrever demasiado depressa. Aguarde { $secs ->
        [one] { $secs } segundo
       *[other] { $secs } segundos
    } e volte a enviar: o seu texto foi mantido abaixo.
forum-error_too_late = Já passou o prazo para eliminar esta mensagem. Ainda a pode editar, ou pedir a um moderador.
forum-error_category_name = O nome de uma categoria tem de 1 a 80 caracteres.
forum-error_no_roles = Marque pelo menos um perfil que verá esta categoria.
forum-error_mute_target = Nenhum aluno tem este nome de utilizador. Só os alunos podem ser silenciados.
forum-mail_mention_subject = { $actor } mencionou o seu nome em “{ $topic }”
forum-mail_mention_body =
    { $actor } mencionou o seu nome no tópico do fórum “{ $topic }”.

    Para ler: { $link }

    (Enviado pelo fórum do portal da escola.)
forum-mail_reply_subject = Nova resposta em “{ $topic }”
forum-mail_reply_body =
    { $actor } respondeu ao seu tópico do fórum “{ $topic }”.

    Para ler: { $link }

    (Enviado pelo fórum do portal da escola.)
forum-notices = Para si
forum-notice_mention = { $actor } mencionou o seu nome em “{ $topic }”
forum-notice_reply = { $actor } respondeu ao seu tópico “{ $topic }”
forum-notices_count =
    { $n ->
        [one] { $n } novidade
       *[other] { $n } novidades
    }
forum-search = Pesquisar
forum-search_label = Pesquisar no fórum
forum-search_title = Pesquisar no fórum
forum-no_hits = Nenhuma mensagem corresponde a esta pesquisa.
forum-moderation = Mensagens sinalizadas
forum-topics =
    { $n ->
        [one] { $n } tópico
       *[other] { $n } tópicos
    }
forum-unread_topics =
    { $n ->
        [one] { $n } não lido
       *[other] { $n } não lidos
    }
forum-last_post = última mensagem em { $when }
forum-new_topic = Novo tópico
forum-muted_notice = Um moderador retirou-lhe o direito de escrever aqui até { $until }: pode ler, mas não pode escrever.
forum-pinned_mark = Afixado
forum-locked_mark = Bloqueado
forum-hidden_mark = Oculto
forum-hidden_post_mark = Oculta para os leitores
forum-new = novo
forum-unread_posts =
    { $n ->
        [one] { $n } não lida
       *[other] { $n } não lidas
    }
forum-gone = (antiga conta)
forum-replies =
    { $n ->
        [one] { $n } resposta
       *[other] { $n } respostas
    }
forum-no_topics = Ainda não há tópicos aqui.
forum-newer = ← Mais recentes
forum-older = Mais antigos →
forum-mute_title = Silenciar um aluno
forum-mute_hint = Um aluno silenciado continua a poder ler esta categoria, mas não pode escrever nela até ao fim do prazo.
forum-mute_username = Nome de utilizador do aluno
forum-mute_duration = Durante
forum-mute_hour = 1 hora
forum-mute_day = 1 dia
forum-mute_week = 1 semana
forum-mute_lift = Levantar o silenciamento
forum-mute = Aplicar
forum-topic_title = Título
forum-body = Mensagem
forum-markdown_help = Formatação: **negrito**, *itálico*, `código`, uma linha que começa por - para uma lista, > para citar, [texto](https://…) para uma ligação; @utilizador avisa essa pessoa.
forum-send = Enviar
forum-preview = Pré-visualizar
forum-preview_title = Pré-visualização (ainda não enviada)
forum-edit_title = Editar a sua mensagem
forum-edit_hint = O texto anterior continua visível no histórico da mensagem.
forum-locked_notice = Este tópico está bloqueado: já ninguém pode responder.
forum-locked_moderator = Este tópico está bloqueado: só os moderadores ainda podem escrever.
forum-history_title = Versões anteriores
forum-history_intro = Uma mensagem de { $author }, da versão mais recente para a mais antiga.
forum-version_current = Versão atual
forum-version_of = Versão de { $when }
forum-history_none = Esta mensagem não foi editada.
forum-reported_by = Sinalizada por { $who }, em { $when }
forum-dismiss = Nada a apontar
forum-show = Mostrar
forum-hide = Ocultar
forum-delete = Eliminar
forum-no_reports = Nenhuma mensagem está à espera de um moderador.
forum-new_posts = Mensagens novas desde a sua última visita
forum-edited_mark = editada
forum-post_deleted_line = Esta mensagem foi eliminada.
forum-post_hidden_line = Esta mensagem foi ocultada por um moderador.
forum-quote = Citar
forum-edit = Editar
forum-delete_own = Eliminar
forum-report = Sinalizar
forum-report_reason = Porquê? (opcional)
forum-report_send = Avisar os moderadores
forum-report_title = Sinalizar uma mensagem
forum-report_intro = Os moderadores verão esta mensagem e o seu motivo. O autor da mensagem não saberá quem a sinalizou.
forum-report_cancel = Voltar ao tópico
forum-reply = Responder
forum-moderate_topic = Moderação
forum-pin = Afixar
forum-unpin = Desafixar
forum-lock = Bloquear
forum-unlock = Desbloquear
forum-hide_topic = Ocultar o tópico
forum-show_topic = Mostrar o tópico
forum-move_to = Mover para
forum-move = Mover
forum-delete_topic = Eliminar o tópico…
forum-delete_topic_warning = O tópico e todas as suas mensagens serão eliminados definitivamente.
forum-delete_topic_confirm = Eliminar definitivamente
forum-pages = Páginas
forum-prev_page = ← Página anterior
forum-next_page = Página seguinte →
forum-page_of = Página { $n } de { $total }
forum-admin_title = Categorias do fórum
forum-admin_intro = Toda a escola, a sala dos professores e cada turma já têm a sua própria categoria. Adicione aqui uma categoria para as pessoas que escolher (por exemplo, só os encarregados de educação).
forum-admin_custom = Categorias adicionadas
forum-admin_none = Ainda não há nenhuma.
forum-admin_add = Adicionar uma categoria
forum-category_name = Nome
forum-category_description = Descrição
forum-category_roles = Quem a vê
forum-admin_roles_hint = Os administradores veem todas as categorias.
forum-admin_create = Adicionar a categoria
