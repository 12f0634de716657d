## flash.files

flash-files-uploaded = Ficheiros enviados.
flash-files-folder_created = Pasta criada.
flash-files-renamed = Nome alterado.
flash-files-moved = Movido.
flash-files-deleted = Movido para o lixo. Pode restaurá-lo a partir do lixo durante 30 dias.
flash-files-restored = Restaurado no sítio onde estava.

## files

files-error_name = Este nome não é permitido: sem / \ : * ? " < > |, sem caracteres de controlo ou invisíveis, não pode ser . nem .., nem terminar com um ponto ou um espaço.
files-error_exists = Já existe aqui um ficheiro ou uma pasta com este nome (os nomes que só diferem nas maiúsculas contam como iguais).
files-error_not_folder = Isto não é uma pasta.
files-error_quota = Não há espaço livre suficiente na sua quota para isto.
files-error_incomplete = O envio foi interrompido. Nada foi guardado; envie o ficheiro novamente.
files-error_no_file = Escolha pelo menos um ficheiro para enviar.
files-error_space_root = Não é possível mudar o nome, mover ou eliminar um espaço inteiro.
files-error_other_space = Só pode mover para uma pasta do mesmo espaço. Para outro espaço, descarregue o ficheiro e envie-o para lá.
files-error_into_itself = Não é possível mover uma pasta para dentro dela própria.
files-error_restore_exists = Não é possível restaurar: há agora um ficheiro ou uma pasta com este nome nesse sítio. Mude-lhe o nome ou mova-o, e tente novamente.
files-title = Os meus documentos
files-my_documents = Os meus documentos
files-quota_label = Espaço usado
files-usage = O seu espaço pessoal: { $used } usados de { $quota }.
files-kind_personal = Espaço pessoal
files-kind_class = Turma
files-kind_staff = Sala dos professores
files-can_write = leitura e escrita
files-can_read = só leitura
files-open_trash = Lixo
files-breadcrumbs = Caminho
files-read_only = Pode ver e descarregar estes documentos, mas não pode alterá-los.
files-upload_label = Enviar ficheiros (pode enviar vários de uma vez)
files-upload = Enviar
files-new_folder = Nova pasta
files-create = Criar
files-up = Pasta superior
files-empty = Esta pasta está vazia.
files-actions = Ações
files-new_name = Novo nome
files-rename = Mudar o nome
files-move_to = Mover para a pasta
files-move = Mover
files-delete = Mover para o lixo
files-download = Descarregar
files-trash_title = Lixo
files-trash_intro =
    { $days ->
        [one] Os itens eliminados ficam aqui durante { $days } dia e depois são apagados de vez. Não contam para a sua quota.
       *[other] Os itens eliminados ficam aqui durante { $days } dias e depois são apagados de vez. Não contam para a sua quota.
    }
files-trash_empty = O lixo está vazio.
files-deleted_on = eliminado em { $date }
files-restore = Restaurar
