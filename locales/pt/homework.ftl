## flash.homework

flash-homework-created = A caixa de entrega está aberta.
flash-homework-closed = A caixa de entrega está fechada.
flash-homework-reopened = A caixa de entrega foi reaberta.
flash-homework-handed_in = Ficheiros entregues.
flash-homework-withdrawn = Ficheiro retirado.

## homework

homework-title = Trabalhos de casa
homework-due = a entregar até { $date }
homework-open = aberto
homework-closed = fechado
homework-status_on_time = entregue
homework-status_late = com atraso
homework-status_missing = ainda não entregue
homework-none = Não há trabalhos de casa por agora.
homework-new_title = Marcar um trabalho de casa
homework-class = Turma
homework-title_label = Título
homework-instructions = Instruções
homework-due_label = Entregar até (data e hora)
homework-due_hint = Depois desta data, as entregas continuam a ser aceites, mas ficam marcadas com atraso, a não ser que feche a caixa de entrega.
homework-create = Abrir a caixa de entrega
homework-roster = Alunos
homework-summary = A tempo: { $on_time } · com atraso: { $late } · ainda não: { $missing }
homework-zip = Descarregar tudo (zip)
homework-close = Fechar a caixa de entrega
homework-reopen = Reabrir a caixa de entrega
homework-closed_hint = A caixa de entrega está fechada: os alunos já não podem entregar nem retirar nada.
homework-late_hint = O prazo de entrega já passou: as entregas continuam a ser aceites, marcadas com atraso.
homework-last_at = última entrega em { $date }
homework-no_pupils = Esta turma ainda não tem alunos.
homework-my_work = O meu trabalho
homework-nothing_yet = Ainda não entregou nada.
homework-late_warning = O prazo de entrega já passou: a sua entrega vai ficar marcada com atraso.
homework-hand_in_label = Entregar ficheiros (pode entregar vários de uma vez)
homework-hand_in = Entregar
homework-withdraw = Retirar
homework-error_closed = O professor fechou esta caixa de entrega: já não aceita ficheiros.
homework-error_title = Dê um título ao trabalho de casa.
homework-error_title_long = O título é demasiado longo (120 caracteres no máximo).
homework-error_instructions_long = As instruções são demasiado longas (10 000 caracteres no máximo).
homework-error_due = Indique uma data e uma hora válidas.
homework-error_due_past = A data de entrega indicada já passou.
homework-error_due_far = A data de entrega é demasiado distante (mais de um ano).
homework-error_class = Escolha uma das suas turmas.
